"""Attachments area: content-addressed storage, content checks, the rules of adding and removing."""
