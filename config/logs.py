"""Logging filters used by settings.LOGGING."""

import logging


class WithoutTraceback(logging.Filter):
    """Keep a record's message and drop its traceback: for errors that are the client's, where the
    stack says nothing (a request with a Host not in ALLOWED_HOSTS logged some 40 lines each)."""

    def filter(self, record):
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
