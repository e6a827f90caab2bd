"""The reports layer, above both data paths: words, charts, tables, HTML pages and the
papermill jobs that render them."""
