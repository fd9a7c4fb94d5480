"""驾驶舱 (the leadership dashboard): the panels that every app contributes
(``core.panels``; each app's ``panels.py``), kept per org, year and panel
(``PanelFigure``) by the worker, shown as ECharts charts with their figures, drill-down to
the next level of the tree and to the list behind a number, a big-screen mode and an Excel
export. See ``docs/dashboard.md``."""
