"""/reviews and /faq: the page's state (:mod:`.state`) and view (:mod:`.view`)."""
