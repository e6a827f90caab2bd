"""A council's own records: the HR extract, the CSWW census return (``census/``), the
measures computed from them through the one worker table, and the disclosure control that
protects the people in them."""
