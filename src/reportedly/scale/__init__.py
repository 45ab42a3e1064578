"""Scale-out on Apache Spark (``reportedly spark run``; optional extra ``spark``).

``job.py`` runs the job stage by stage; ``inputs.py`` reads the inputs in executors as ``ingest`` reads
them; ``analyze.py`` is the per-partition analysis (the pipeline loaded once per Python worker, each article
through ``reportedly.analysis`` as the CLI does); ``schemas.py`` holds the Parquet schemas; ``rules.py`` is
the one adapter to the project's pure linking functions (features, candidate keys, pair predicates);
``components.py`` finds connected components by iterative joins; ``linking.py`` links the corpus with
Spark's operators; ``load.py`` loads a finished run into the ledger store. ``chunks.py`` writes the analysis
by input chunk so a killed run resumes; ``daemon.py`` is the Python worker daemon that preloads the pipeline.
"""

# records per analysis chunk (--chunk-size): a task of a minute or two of one core, small enough to balance a
# few hundred articles over the cores and to lose little to a kill; raise it on a cluster (fewer files)
CHUNK_SIZE = 25
