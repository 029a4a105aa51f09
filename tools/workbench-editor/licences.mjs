// Prints the licence of every package in the bundle (the dependencies, not the build tool).
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const names = Object.keys(lock.packages).filter(p => p.startsWith("node_modules/") && !lock.packages[p].dev).sort();
console.log("The workbench's editor bundle (editor.js) holds these packages, each under its licence below.\n");
for (const path of names) {
  const meta = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
  const file = readdirSync(path).find(f => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  console.log(`==== ${meta.name} ${meta.version} (${meta.license}) ====`);
  console.log(file && existsSync(join(path, file)) ? readFileSync(join(path, file), "utf8").trim() : `Licence: ${meta.license} (no licence file in the package)`);
  console.log();
}
