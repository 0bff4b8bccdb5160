Attribute VB_Name = "Ribbon"
' Menueband "Sozialraumbudget": jeder Knopf ruft eine Funktion in xlsozial.excel auf.
' Quelle in git: workbook/vba/Ribbon.bas; eingebettet von "xlsozial mappe-bauen".
' Die Python-Seite meldet Eingabefehler selbst (Meldung + Blatt Pruefungen).
Option Explicit

Public Sub Berechnen(control As IRibbonControl)
    RunPython "import xlsozial.excel as x; x.berechnen()"
End Sub

Public Sub Pruefen(control As IRibbonControl)
    RunPython "import xlsozial.excel as x; x.pruefen()"
End Sub

Public Sub WerteEinfrieren(control As IRibbonControl)
    RunPython "import xlsozial.excel as x; x.werte_einfrieren()"
End Sub

Public Sub Verteilen(control As IRibbonControl)
    RunPython "import xlsozial.excel as x; x.verteilen()"
End Sub

Public Sub Einsammeln(control As IRibbonControl)
    RunPython "import xlsozial.excel as x; x.einsammeln()"
End Sub

Public Sub Bericht(control As IRibbonControl)
    RunPython "import xlsozial.excel as x; x.bericht()"
End Sub

Public Sub QuoteFestschreiben(control As IRibbonControl)
    RunPython "import xlsozial.excel as x; x.quote_festschreiben()"
End Sub

Public Sub Jahreswechsel(control As IRibbonControl)
    RunPython "import xlsozial.excel as x; x.jahreswechsel()"
End Sub

Public Sub EinsammelnGueltige(control As IRibbonControl)
    RunPython "import xlsozial.excel as x; x.einsammeln_gueltige()"
End Sub
