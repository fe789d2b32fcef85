"""Parses a GitHub Actions workflow with PyYAML and prints it as JSON.

YAML 1.1 reads the key `on` as the boolean true; it is printed as "on", the way Actions reads it.
Usage: python3 workflow_json.py WORKFLOW.yml
"""
import json
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as handle:
    workflow = yaml.safe_load(handle)
if not isinstance(workflow, dict):
    sys.exit(f"{sys.argv[1]}: not a mapping at the top level")
if True in workflow:
    workflow["on"] = workflow.pop(True)
print(json.dumps(workflow))
