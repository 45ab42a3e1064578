"""The Python worker daemon of a ``spark run`` (``spark.python.daemon.module``), never imported by hand.

PySpark's daemon forks every Python worker of an executor. Loading the pipeline here, once, before the
daemon starts forking (``reportedly.ingest.warm``: the same preload as ingest's fork server) means every
worker starts with the model ready and shares its pages copy-on-write, instead of each worker loading its
own copy: with one worker per core and workers re-forked after a crash or an idle timeout, that is seconds
of CPU and hundreds of MB saved per worker.
"""

if __name__ == "__main__":
    from pyspark.daemon import manager

    import reportedly.ingest.warm  # noqa: F401  (the preload is the import)

    manager()
