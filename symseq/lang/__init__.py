"""The language: the one operator/leaf table (grammar), the prefix codec, the vocabulary, and
the reading of untrusted text (parse, safe_eval).  No torch here."""
