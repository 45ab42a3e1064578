"""Learned attribution extraction trained on PolNeAR (CRF cue tagger + cue-conditioned role tagger).

``data`` turns PolNeAR into token-level examples, ``features``/``component`` hold the model and its decoding,
``train`` fits it (``reportedly train polnear``), ``combine`` merges its output with the rule extractor's.
"""
