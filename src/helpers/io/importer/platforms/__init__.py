"""Platform readers (one module per platform), registered in :data:`READERS`; see :mod:`.base`."""
