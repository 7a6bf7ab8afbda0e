"""The portal's IATI files: how its values map to IATI codes (:mod:`.mapping`), the activities
writer (:mod:`.activities`) and its validation (:mod:`.validation`)."""
