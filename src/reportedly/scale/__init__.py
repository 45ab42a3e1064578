"""Scale-out on Apache Spark (``reportedly spark run``; optional extra ``spark``).

``job.py`` runs the job stage by stage; ``inputs.py`` reads the inputs in executors as ``ingest`` reads
them; ``analyze.py`` is the per-partition analysis (the pipeline loaded once per Python worker, each article
through ``reportedly.analysis`` as the CLI does); ``schemas.py`` holds the Parquet schemas; ``rules.py`` is
the one adapter to the project's pure linking functions (features, candidate keys, pair predicates);
``components.py`` finds connected components by iterative joins; ``linking.py`` links the corpus with
Spark's operators; ``load.py`` loads a finished run into the ledger store.
"""
