"""The Scrapy project that discovers and archives article pages of configured sites."""
