"""Link: cross-article near-duplicate passages, claim clusters and independent origins."""
