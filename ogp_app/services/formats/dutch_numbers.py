"""Shapes of Dutch registration numbers, one definition for a school's details and our own invoices."""

from __future__ import annotations

import re

BRIN = re.compile(r"\d\d[A-Z]{2}")
POSTAL_CODE = re.compile(r"([1-9]\d{3}) ?([A-Z]{2})")  # Dutch: 1234 AB (no leading zero)
KVK = re.compile(r"\d{8}")  # Kamer van Koophandel
VAT = re.compile(r"NL\d{9}B\d{2}")  # btw-identificatienummer
