// Copies each bundled package's licence into ../vendor/LICENCES.txt.
const fs = require("fs");
const path = require("path");
const packages = ["sigma", "graphology", "graphology-layout-forceatlas2", "@sigma/node-border", "events"];
const parts = [];
for (const name of packages) {
  const dir = path.join(__dirname, "node_modules", name);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  const text = file ? fs.readFileSync(path.join(dir, file), "utf8") : `License: ${meta.license}`;
  parts.push(`${name} ${meta.version} (${meta.license})\n\n${text.trim()}\n`);
}
fs.writeFileSync(path.join(__dirname, "..", "www", "vendor", "LICENCES.txt"), parts.join("\n" + "-".repeat(72) + "\n\n"));
