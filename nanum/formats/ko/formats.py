"""Korean: 2026. 12. 1. (화) 19:00."""

DATE_FORMAT = "Y. n. j. (D)"
DATETIME_FORMAT = "Y. n. j. (D) H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. H:i"
MONTH_DAY_FORMAT = "n. j. (D)"
YEAR_MONTH_FORMAT = "Y. n."
