// Run a Python check under Pyodide in Node: wheels unpacked into site-packages, the
// xlsozial sources copied in, the check's last expression printed. Used by test_pyodide.py.
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
const [wheelDir, srcDir, script] = process.argv.slice(2);
const py = await loadPyodide();
const site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
for (const name of fs.readdirSync(wheelDir)) {
  py.FS.writeFile(`/tmp/${name}`, fs.readFileSync(path.join(wheelDir, name)));
  py.runPython(`import zipfile; zipfile.ZipFile('/tmp/${name}').extractall('${site}')`);
}
function copyTree(from, to) {
  py.FS.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === "__pycache__") continue;
    const a = path.join(from, entry.name), b = `${to}/${entry.name}`;
    if (entry.isDirectory()) copyTree(a, b);
    else if (entry.name.endsWith(".py")) py.FS.writeFile(b, fs.readFileSync(a));
  }
}
copyTree(srcDir, `${site}/xlsozial`);
const out = py.runPython(fs.readFileSync(script, "utf8"));
console.log(out);
