"""Report rendering apart from Telegram: charts (PNG), workbooks (XLSX) and CSV."""
