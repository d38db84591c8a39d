"""Whole commands on a loaded store, as a user runs them: wall time, CPU and peak memory
of ``kg`` and of its engine, per round, interleaved.

    python benchmarks/commands.py --store STORE --rounds 2 --out results.json \
        "analyze --format json" "stakeholders --format json"

Each quoted command runs as ``kg --store STORE COMMAND...`` (``--kg`` names the
executable), once per round, the commands in turn; the engine is started by the command
(cold) unless the store has a warm engine (``kg engine start``). Figures as
``benchmarks/watch.py`` reads them; the output's size and a digest of it, to tell
whether two runs answered the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from watch import watched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--kg", default=str(Path(sys.executable).parent / "kg"))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("commands", nargs="+", help="a kg command and its options, quoted")
    options = parser.parse_args()
    runs: list[dict[str, Any]] = []
    for round_number in range(1, options.rounds + 1):
        for text in options.commands:
            args = [options.kg, "--store", str(options.store), *shlex.split(text)]
            found = watched(args, options.store)
            output = found.pop("stdout").encode()
            found.pop("stderr")
            found |= {"command": text, "round": round_number, "output_bytes": len(output),
                      "output_blake2b": hashlib.blake2b(output, digest_size=8).hexdigest()}
            runs.append(found)
            print(f"round {round_number} kg {text}: {found['wall_s']} s wall, kg "
                  f"{found['kg_cpu_s']} s CPU ({found['kg_peak_mib']} MiB peak), engine "
                  f"{found['engine_cpu_s']} s CPU ({found['engine_peak_mib']} MiB peak), "
                  f"load {found['load_before']}-{found['load_after']}, output "
                  f"{found['output_bytes']} bytes {found['output_blake2b']}", flush=True)
    if options.out:
        options.out.write_text(json.dumps(runs, indent=1) + "\n")


if __name__ == "__main__":
    main()
