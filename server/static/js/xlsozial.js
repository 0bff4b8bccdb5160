// xlsozial im Office.js-Add-in (Excel im Web, Mac, Windows): die Makros, die der Server mit
// der Aktion runMacro anfordert – wie SrbSpeichern, SrbSchutzAufheben und SrbSchutzSetzen in
// Ribbon.bas der .xlsm. Geladen vom Aufgabenbereich (server/templates/taskpane.html).
import { registerCallback } from "./custom-scripts/index.js";

async function sheetOrNull(context, name) {
  const sheet = context.workbook.worksheets.getItemOrNullObject(name);
  await context.sync();
  return sheet.isNullObject ? null : sheet;
}

// Excel nimmt in ein geschütztes Blatt keine Werte an: Schutz (ohne Kennwort) aufheben …
async function SrbSchutzAufheben(context, blatt) {
  const sheet = await sheetOrNull(context, blatt);
  if (sheet) {
    sheet.protection.unprotect();
    await context.sync();
  }
}

// … und nach dem Schreiben wieder setzen wie am Arbeitsplatz (Spalten und Zeilen formatierbar).
async function SrbSchutzSetzen(context, blatt) {
  const sheet = await sheetOrNull(context, blatt);
  if (sheet) {
    sheet.protection.protect({
      allowFormatColumns: true,
      allowFormatRows: true,
      allowEditObjects: true,
    });
    await context.sync();
  }
}

// Verteilen hält die Runde fest, bevor Dateien hinausgehen: die Mappe speichern.
async function SrbSpeichern(context) {
  context.workbook.save(Excel.SaveBehavior.save);
  await context.sync();
}

registerCallback(SrbSchutzAufheben);
registerCallback(SrbSchutzSetzen);
registerCallback(SrbSpeichern);
