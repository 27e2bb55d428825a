"""The website builders' home (``html``, ``dirhtml``, ``singlehtml``): what we add
to Sphinx's builders besides the theme's look, JSON-LD on each page and ``faq.json``."""
