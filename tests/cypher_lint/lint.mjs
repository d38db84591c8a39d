#!/usr/bin/env node
// Lint Cypher files with Neo4j's own linter (@neo4j-cypher/language-support).
//
//   node tests/cypher_lint/lint.mjs [--cypher-version 5|25]
//                                   [--ignore-undeclared-parameters] FILE...
//
// Prints ONE JSON document on stdout:
//   {"files": [{"path": "...", "diagnostics": [
//       {"severity": "error"|"warning"|"information"|"hint",
//        "message": "...", "line": 1, "column": 1}]}]}
// line and column are 1-based; column counts Unicode code points (as Python
// str indexing does). Exit status: 0 when the lint ran, whatever it found;
// 2 on usage/IO/installation errors; 3 if the linter's self-check fails.
// See README.md for what the linter reports and how.

import { readFileSync } from 'node:fs';

const EXIT_HARNESS = 2;
const EXIT_SELFCHECK = 3;
const CYPHER_VERSIONS = { 5: 'CYPHER 5', 25: 'CYPHER 25' };
const SEVERITIES = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
// Exact text produced by the library for a parameter missing from the schema:
// "Parameter $rows is not defined." (backticked names keep their backticks).
const UNDECLARED_PARAMETER = /^Parameter \$.+ is not defined\.$/;

function fail(code, message) {
  process.stderr.write(`cypher_lint: ${message}\n`);
  process.exitCode = code;
}

function parseArgs(argv) {
  const opts = { version: '5', ignoreParams: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      opts.files.push(...argv.slice(i + 1));
      break;
    } else if (a === '--cypher-version') {
      opts.version = argv[++i];
    } else if (a.startsWith('--cypher-version=')) {
      opts.version = a.slice('--cypher-version='.length);
    } else if (a === '--ignore-undeclared-parameters') {
      opts.ignoreParams = true;
    } else if (a === '-h' || a === '--help') {
      opts.help = true;
    } else if (a.startsWith('-') && a !== '-') {
      throw new Error(`unknown option ${a}`);
    } else {
      opts.files.push(a);
    }
  }
  if (!(opts.version in CYPHER_VERSIONS)) {
    throw new Error(`--cypher-version must be 5 or 25, got ${opts.version}`);
  }
  return opts;
}

// The semantic analyser (compiled Java) returns a null end position when the
// text holds characters outside the BMP (emoji...), and the library then
// silently drops ALL semantic diagnostics for that statement. Replace every
// surrogate pair with two U+FFFD: UTF-16 offsets are unchanged, the text stays
// valid inside strings/comments/backticks and invalid elsewhere.
function sanitize(text) {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '\uFFFD\uFFFD');
}

function toPosition(lines, pos) {
  // LSP position: 0-based line, 0-based UTF-16 character offset.
  let line = Number.isInteger(pos?.line) ? pos.line : 0;
  let character = Number.isInteger(pos?.character) ? pos.character : 0;
  if (line < 0 || character < 0) return { line: 1, column: 1 };
  if (line >= lines.length) {
    line = lines.length - 1;
    character = lines[line].length;
  }
  const prefix = lines[line].slice(0, character);
  return { line: line + 1, column: [...prefix].length + 1 };
}

function lintText(lintCypherQuery, text, opts) {
  const dbSchema = { defaultLanguage: CYPHER_VERSIONS[opts.version] };
  // consoleCommandsEnabled: false -> ':param', ':use' ... are errors, since
  // these files go to the driver verbatim.
  const { diagnostics } = lintCypherQuery(sanitize(text), dbSchema, {
    consoleCommandsEnabled: false,
  });
  const lines = text.split('\n');
  return diagnostics
    .filter((d) => !(opts.ignoreParams && UNDECLARED_PARAMETER.test(d.message)))
    .map((d) => ({
      severity: SEVERITIES[d.severity] ?? String(d.severity),
      message: d.message,
      ...toPosition(lines, d.range?.start),
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

// Guard against the linter silently degrading (e.g. the semantic analyser
// failing to load on this Node version): these must be reported exactly.
function selfCheck(lintCypherQuery) {
  const probes = [
    ['MATCH (n) RETURN n.x AS x, m', (ds) => ds.some((d) => d.message === 'Variable `m` not defined')],
    ['MATCH (n) RETURN id(n) AS i', (ds) => ds.some((d) => d.severity === 'warning' && /deprecated/.test(d.message))],
    ['RETURN $p AS p', (ds) => ds.some((d) => d.message === 'Parameter $p is not defined.')],
    ['// header\nMATCH (n)\nRETURN count(n) AS c', (ds) => ds.length === 0],
    ['MATCH (n RETURN n', (ds) => ds.some((d) => d.severity === 'error' && d.line === 1)],
  ];
  const opts = { version: '5', ignoreParams: false };
  for (const [query, ok] of probes) {
    const ds = lintText(lintCypherQuery, query, opts);
    if (!ok(ds)) {
      return `self-check failed for ${JSON.stringify(query)}: got ${JSON.stringify(ds)}`;
    }
  }
  return null;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    return fail(EXIT_HARNESS, `${e.message}\nusage: node lint.mjs [--cypher-version 5|25] [--ignore-undeclared-parameters] FILE...`);
  }
  if (opts.help) {
    process.stdout.write('usage: node lint.mjs [--cypher-version 5|25] [--ignore-undeclared-parameters] FILE...\n');
    return;
  }

  let lintCypherQuery;
  try {
    ({ lintCypherQuery } = await import('@neo4j-cypher/language-support'));
  } catch (e) {
    return fail(EXIT_HARNESS, `cannot load @neo4j-cypher/language-support (run: npm ci --prefix tests/cypher_lint): ${e.message}`);
  }
  if (typeof lintCypherQuery !== 'function') {
    return fail(EXIT_HARNESS, 'lintCypherQuery is not exported by @neo4j-cypher/language-support');
  }

  // Anything the library might print must not corrupt the JSON on stdout.
  for (const k of ['log', 'info', 'debug']) console[k] = (...a) => console.error(...a);

  const problem = selfCheck(lintCypherQuery);
  if (problem) return fail(EXIT_SELFCHECK, problem);

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const files = [];
  for (const path of opts.files) {
    let bytes;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      return fail(EXIT_HARNESS, `cannot read ${path}: ${e.message}`);
    }
    let text;
    try {
      text = decoder.decode(bytes);
    } catch {
      files.push({ path, diagnostics: [{ severity: 'error', message: 'file is not valid UTF-8', line: 1, column: 1 }] });
      continue;
    }
    files.push({ path, diagnostics: lintText(lintCypherQuery, text, opts) });
  }
  // No process.exit(): let stdout drain completely when it is a pipe.
  process.stdout.write(JSON.stringify({ files }, null, 2) + '\n');
}

main().catch((e) => fail(EXIT_HARNESS, `unexpected failure: ${e?.stack ?? e}`));
