"""The WARC extension headers the crawler writes and extraction reads."""

# What a response was fetched as (article, sitemap, feed...) and the date its listing gave.
KIND_HEADER = "WARC-Crosspost-Kind"
LISTED_DATE_HEADER = "WARC-Crosspost-Listed-Date"
