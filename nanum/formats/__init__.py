"""One date and time format per language (``FORMAT_MODULE_PATH``): templates use the
named formats (``|date:"DATE_FORMAT"``, ``"DATETIME_FORMAT"``, ``"SHORT_DATE_FORMAT"``,
``"SHORT_DATETIME_FORMAT"``, ``|time:"TIME_FORMAT"``), never a pattern of their own."""
