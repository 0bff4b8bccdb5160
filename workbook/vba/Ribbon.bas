Attribute VB_Name = "Ribbon"
' Menueband "Sozialraumbudget": jeder Knopf ruft eine Funktion in xlsozial.excel auf -
' mit dem Python des Arbeitsplatzes (RunPython) oder, wenn "xlsozial einrichten --server URL"
' einen Server eingetragen hat (xlwings.conf: XLSOZIAL SERVER), auf diesem Server
' (RunRemotePython, Skript gleichen Namens; ohne Python am Arbeitsplatz).
' Quelle in git: workbook/vba/Ribbon.bas; eingebettet von "xlsozial mappe-bauen".
' Die Python-Seite meldet Eingabefehler selbst (Meldung + Blatt Pruefungen).
Option Explicit

Private Function Server() As String
    Server = GetConfig("XLSOZIAL SERVER", "")
End Function

Public Sub Berechnen(control As IRibbonControl)
    If Server() = "" Then
        RunPython "import xlsozial.excel as x; x.berechnen()"
    Else
        RunRemotePython Server() & "/xlwings/custom-scripts-call/berechnen"
    End If
End Sub

Public Sub Pruefen(control As IRibbonControl)
    If Server() = "" Then
        RunPython "import xlsozial.excel as x; x.pruefen()"
    Else
        RunRemotePython Server() & "/xlwings/custom-scripts-call/pruefen"
    End If
End Sub

Public Sub WerteEinfrieren(control As IRibbonControl)
    If Server() = "" Then
        RunPython "import xlsozial.excel as x; x.werte_einfrieren()"
    Else
        RunRemotePython Server() & "/xlwings/custom-scripts-call/werte_einfrieren"
    End If
End Sub

Public Sub Verteilen(control As IRibbonControl)
    If Server() = "" Then
        RunPython "import xlsozial.excel as x; x.verteilen()"
    Else
        RunRemotePython Server() & "/xlwings/custom-scripts-call/verteilen"
    End If
End Sub

Public Sub Einsammeln(control As IRibbonControl)
    If Server() = "" Then
        RunPython "import xlsozial.excel as x; x.einsammeln()"
    Else
        RunRemotePython Server() & "/xlwings/custom-scripts-call/einsammeln"
    End If
End Sub

Public Sub Bericht(control As IRibbonControl)
    If Server() = "" Then
        RunPython "import xlsozial.excel as x; x.bericht()"
    Else
        RunRemotePython Server() & "/xlwings/custom-scripts-call/bericht"
    End If
End Sub

Public Sub QuoteFestschreiben(control As IRibbonControl)
    If Server() = "" Then
        RunPython "import xlsozial.excel as x; x.quote_festschreiben()"
    Else
        RunRemotePython Server() & "/xlwings/custom-scripts-call/quote_festschreiben"
    End If
End Sub

Public Sub Jahreswechsel(control As IRibbonControl)
    If Server() = "" Then
        RunPython "import xlsozial.excel as x; x.jahreswechsel()"
    Else
        RunRemotePython Server() & "/xlwings/custom-scripts-call/jahreswechsel"
    End If
End Sub

Public Sub EinsammelnGueltige(control As IRibbonControl)
    If Server() = "" Then
        RunPython "import xlsozial.excel as x; x.einsammeln_gueltige()"
    Else
        RunRemotePython Server() & "/xlwings/custom-scripts-call/einsammeln_gueltige"
    End If
End Sub

' Vom Server aufgerufen (Aktion runMacro), wenn "Verteilen" die Runde festhaelt: wie am
' Arbeitsplatz wird die Mappe gespeichert, bevor die Kostenblatt-Dateien ausgegeben werden.
Public Sub SrbSpeichern(wb As Workbook)
    wb.Save
End Sub

' Vom Server aufgerufen (Aktion runMacro) um jedes Ergebnisblatt, das er schreibt: Excel nimmt
' in ein geschuetztes Blatt keine Werte an. Der Schutz (ohne Kennwort) wird aufgehoben und
' danach so gesetzt wie am Arbeitsplatz. Ein Blatt, das es nicht gibt, wird uebergangen.
Public Sub SrbSchutzAufheben(wb As Workbook, blatt As String)
    On Error Resume Next
    wb.Worksheets(blatt).Unprotect
End Sub

Public Sub SrbSchutzSetzen(wb As Workbook, blatt As String)
    On Error Resume Next
    wb.Worksheets(blatt).Protect DrawingObjects:=False, Contents:=True, _
        AllowFormattingColumns:=True, AllowFormattingRows:=True
End Sub
