"""The management report: one content model (`model`), built once by
`staircase.services.reports`, rendered as a PDF (`pdf`), an Excel workbook (`workbook`)
and a self-contained web page (`web`). No streamlit here."""
