"""The editors' tools: department scoping, workflow, imports, exports, reports, photos."""
