"""SOP manual: turn structured SOP sources into manual pages.

The core modules (diagnostics, yaml_source, schema, durations, model, loading,
flow, rules, manual, mermaid, bagan, rendering, labels) import nothing from
MkDocs; ``mkdocs_plugin`` and ``macros`` are the thin MkDocs adapters.
"""

__version__ = "0.1.0"
