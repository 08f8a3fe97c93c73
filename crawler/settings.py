"""Scrapy settings for crosspost's crawler.

Override per run with ``-s KEY=VALUE`` (Scrapy's precedence: command line > spider >
project); per-site politeness values from the sites file are applied that way.
"""

# Imported here, where the call stack is short: the module builds deprecated aliases with
# create_deprecated_class, whose inspect.stack() costs ~0.2 s of CPU per crawl when the
# download handler first imports it deep inside the running reactor (measured, Scrapy 2.19).
import scrapy.core.downloader.handlers.http11  # noqa: F401

BOT_NAME = "crosspost"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "crosspost/0.1 (research crawler; +https://github.com/crosspost/crosspost)"
ROBOTSTXT_OBEY = True

# Politeness: AutoThrottle adapts the delay to the server's latency.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts CONCURRENT_ITEMS asyncio tasks for every callback's output; the WARC
# pipeline is synchronous, so the default 100 only costs time (about 10% of a crawl).
CONCURRENT_ITEMS = 8

# Safety limits.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# crawler.retry.BackoffRetryMiddleware: wait Retry-After (at most RETRY_AFTER_MAX seconds),
# else RETRY_BACKOFF_BASE * 2**n seconds (at most RETRY_BACKOFF_MAX) before retry n+1.
RETRY_AFTER_MAX = 120.0
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
# A request that fails for good is counted in the crawl report; not an ERROR in the log.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"

# No listening ports: the telnet console and the RemoteControl extension (on by
# default in Scrapy 2.19) both open a localhost endpoint that can run code.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
}
# Only http(s): no file:, data:, s3: or ftp: downloads, whatever a page links to.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "s3": None, "ftp": None}

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.SiteBoundaryMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.BackoffRetryMiddleware": 550,
}
ITEM_PIPELINES = {
    "crawler.pipelines.WarcArchivePipeline": 100,
}

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
