"""Figure builders: plotly figures for JupyterLab and HTML reports, one module per notebook."""
