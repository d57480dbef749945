"""Open data: the read-only API under `/api/` and each year's list as CSV and XLSX.

`data` reads what the public site shows (and nothing else) into plain values; `views` serves
them through django-ninja with an OpenAPI document, `downloads` as spreadsheets with the same
columns. Wired in `portal/urls.py` behind the page cache.
"""
