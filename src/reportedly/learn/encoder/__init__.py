"""Attribution extraction on a fine-tuned pretrained encoder (training needs the ``train`` extra)."""
