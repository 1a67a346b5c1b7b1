#!/usr/bin/env python3
"""Extracts OpenAI's CreateChatCompletionRequest schema, with every component it references
(transitively), from OpenAI's published OpenAPI document into one standalone JSON Schema
(draft 2020-12) file that the request-body contract check (OpenAiRequestSchema) loads.

Usage (standard library only):

    python3 extract.py SPEC [--commit SHA --date ISO-DATE] > create-chat-completion-request.schema.json

SPEC is either openapi.json from https://github.com/openai/openai-openapi, or a clone of that
repository (a work tree or a bare/mirror git directory), in which case openapi.json is read from
HEAD and the commit and its date are taken from git.

What it does, and nothing else:
- copies components.schemas.CreateChatCompletionRequest and the transitive closure of the
  "#/components/schemas/..." references under the same paths (components.schemas.<Name>), so
  every $ref resolves unchanged inside the output, and the root is {"$ref": ".../CreateChatCompletionRequest"};
- rewrites OpenAPI 3.0's "nullable": true, which the document still uses in places although it
  declares OpenAPI 3.1 (where schemas are plain JSON Schema 2020-12 and "nullable" means
  nothing), into the 3.1 spelling: "type": "T" becomes "type": ["T", "null"] (null added to an
  "enum" too), and a schema without "type" (a oneOf) becomes {"anyOf": [<schema>, {"type": "null"}]}.
  "nullable": false is dropped. Every rewritten location is listed in x-llmbridge-source.rewrites.
- leaves everything else as published: descriptions, OpenAPI's "discriminator" and the "x-..."
  extensions are annotations to a JSON Schema validator and change no verdict.
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = "CreateChatCompletionRequest"
PREFIX = "#/components/schemas/"


def load(spec):
    """Returns (document, commit, date) from a file or a git clone of openai/openai-openapi."""
    if os.path.isfile(spec):
        with open(spec, encoding="utf-8") as f:
            return json.load(f), None, None

    def git(*args):
        return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True).stdout

    git_dir = os.path.join(spec, ".git") if os.path.isdir(os.path.join(spec, ".git")) else spec
    commit = git("rev-parse", "HEAD").decode().strip()
    date = git("log", "-1", "--format=%cI", "HEAD").decode().strip()
    return json.loads(git("show", "HEAD:openapi.json")), commit, date


def references(node):
    """Yields every $ref value under node."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def closure(schemas):
    """Returns the names of ROOT and every schema it references, directly or not."""
    seen, pending = set(), [ROOT]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for ref in references(schemas[name]):
            if not ref.startswith(PREFIX):
                sys.exit(f"unexpected reference {ref} in {name}: only {PREFIX}... is handled")
            pending.append(ref[len(PREFIX):])
    return seen


def denullable(node, pointer, rewrites):
    """Returns node with OpenAPI 3.0 "nullable" rewritten in JSON Schema 2020-12 terms."""
    if isinstance(node, list):
        return [denullable(v, f"{pointer}/{i}", rewrites) for i, v in enumerate(node)]
    if not isinstance(node, dict):
        return node
    node = {k: denullable(v, f"{pointer}/{k.replace('~', '~0').replace('/', '~1')}", rewrites) for k, v in node.items()}
    if not isinstance(node.get("nullable"), bool):  # absent, or a property called "nullable"
        return node
    if node.pop("nullable") is False:
        return node
    rewrites.append(pointer)
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        node["type"] = types if "null" in types else types + ["null"]
        if "enum" in node and None not in node["enum"]:
            node["enum"] = node["enum"] + [None]
        return node
    return {"anyOf": [node, {"type": "null"}]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", help="openapi.json, or a clone of openai/openai-openapi")
    parser.add_argument("--commit", help="the commit the file came from (taken from git for a clone)")
    parser.add_argument("--date", help="that commit's date (taken from git for a clone)")
    args = parser.parse_args()

    document, commit, date = load(args.spec)
    schemas = document["components"]["schemas"]
    names = sorted(closure(schemas))
    rewrites = []
    extracted = {name: denullable(schemas[name], f"/components/schemas/{name}", rewrites) for name in names}
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by extract.py beside this file; do not edit by hand, re-run it (see README.md).",
        "x-llmbridge-source": {
            "repository": "https://github.com/openai/openai-openapi",
            "file": "openapi.json",
            "commit": args.commit or commit,
            "commitDate": args.date or date,
            "openapi": document.get("openapi"),
            "apiVersion": document.get("info", {}).get("version"),
            "licence": "MIT, Copyright (c) OpenAI (the repository's LICENSE)",
            "root": PREFIX + ROOT,
            "components": len(names),
            "rewrites": rewrites,
        },
        "$ref": PREFIX + ROOT,
        "components": {"schemas": extracted},
    }
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
