"""Imported by the fork server of a parallel ingest, never by hand.

Loading the pipeline here, once, means every worker forked from the server starts with the model ready
instead of loading its own copy (a second or more each), and the workers share the model's pages
copy-on-write, so two workers keep one copy of the weights in the cache they share. ``gc.freeze`` moves the
loaded objects out of the collector's reach, so that a collection in a worker does not touch (and copy)
every page of them.
"""

import gc

from reportedly.nlp import get_nlp

get_nlp()
gc.freeze()
