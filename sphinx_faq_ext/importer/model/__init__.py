"""The page model every stage shares: blocks of inline runs, source lines kept.

Not a step of its own but the vocabulary between them (:mod:`.page`): the
read stage makes it, the recognise stage refines it (notes, quotations,
links to questions), the write stage renders it.  It imports nothing of the
importer.
"""
