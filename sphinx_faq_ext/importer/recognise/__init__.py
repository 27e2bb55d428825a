"""Stage 2, recognise: pages of the model in, the book out.

Takes the pages the read stage gives; gives the book: its contents page,
reading order and groups (:mod:`.order`), the numbers of parts that start again
at 1 (:mod:`.places`), questions (numbered headings) with their sub-questions,
links and notes (:mod:`.structure`), citations turned into notes
(:mod:`.citations`), block quotations with their source and author
(:mod:`.quotes`), the names the book cites (:mod:`.authors`) and its
bibliographies kept as lists of works (:mod:`.bibliography`).  Every uncertain
decision is handed to a report callback, never guessed silently.
"""
