"""A small OpenAI-compatible server on loopback that answers like vLLM does when asked for
token ids and log probabilities, for LLM Bridge's interop tests against the real rLLM model
gateway and LiteLLM proxy. Standard library only.

Usage: python vllm_stub.py PORT_FILE
Binds 127.0.0.1 on a free port and writes the port to PORT_FILE once it listens.

Behaviour, chosen by the request:
- POST /v1/chat/completions: a reply whose content is "echo: <last user text>", with
  prompt_token_ids (one id per prompt character, mod 1000) at the top level, choices[].token_ids
  and choices[].logprobs (when logprobs is true) like vLLM's return_token_ids; stream=true answers
  SSE chunks carrying the same fields as vLLM streams them: prompt_token_ids in the first chunk,
  each content chunk (4 characters) with its own token_ids and logprobs (numbered across the whole
  completion), a finish chunk, a usage chunk when stream_options.include_usage, then [DONE].
- tools in the request and no tool result yet in the messages: the reply calls the first tool
  with {"city": "Paris"} (finish_reason tool_calls).
- model "stub-error": HTTP 400 with an OpenAI error body.
- GET /health, GET /v1/models: 200.
- GET /_requests: every chat request body received so far, in order; DELETE /_requests clears.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECEIVED = []
LOCK = threading.Lock()


def token_ids(text):
    return [ord(c) % 1000 for c in text]


def last_user_text(messages):
    for m in reversed(messages):
        if m.get("role") == "user":
            c = m.get("content")
            if isinstance(c, list):
                return "".join(p.get("text", "") for p in c if isinstance(p, dict))
            return c or ""
    return ""


def logprob_entries(text, start=0):
    """One entry per character; the i-th token of the whole completion has logprob -0.1 * (i + 1)."""
    return [
        {"token": ch, "logprob": -0.1 * (start + i + 1), "bytes": list(ch.encode("utf-8")), "top_logprobs": []}
        for i, ch in enumerate(text)
    ]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self._json(200, {"status": "ok"})
        elif self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": "stub-model", "object": "model"}]})
        elif self.path == "/_requests":
            with LOCK:
                self._json(200, list(RECEIVED))
        else:
            self._json(404, {"detail": "Not Found"})

    def do_DELETE(self):
        if self.path == "/_requests":
            with LOCK:
                RECEIVED.clear()
            self._json(200, {"cleared": True})
        else:
            self._json(404, {"detail": "Not Found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._json(400, {"error": {"message": "not JSON", "type": "BadRequestError", "code": 400}})
            return
        if self.path not in ("/v1/chat/completions", "/chat/completions"):
            self._json(404, {"detail": "Not Found"})
            return
        with LOCK:
            RECEIVED.append(body)
        model = body.get("model", "")
        if model.endswith("stub-error"):
            self._json(400, {"error": {"message": "stub: this model always fails (stub-error)",
                                       "type": "BadRequestError", "param": None, "code": 400}})
            return
        messages = body.get("messages", [])
        prompt_text = json.dumps(messages, sort_keys=True)
        tools = body.get("tools") or []
        answered_tool = any(m.get("role") == "tool" for m in messages)
        created = int(time.time())
        if tools and not answered_tool:
            name = tools[0]["function"]["name"]
            arguments = json.dumps({"city": "Paris"})
            message = {"role": "assistant", "content": None, "tool_calls": [
                {"id": "call_stub_1", "type": "function", "function": {"name": name, "arguments": arguments}}]}
            completion = arguments
            finish = "tool_calls"
        else:
            text = last_user_text(messages)
            if answered_tool:
                text = "tool said " + next(m.get("content") for m in reversed(messages) if m.get("role") == "tool")
            completion = "echo: " + text
            message = {"role": "assistant", "content": completion}
            finish = "stop"
        ids = token_ids(completion)
        want_logprobs = bool(body.get("logprobs"))
        want_ids = bool(body.get("return_token_ids"))
        if body.get("stream"):
            self._stream(body, model, created, prompt_text, message, completion, finish, want_logprobs, want_ids)
            return
        choice = {"index": 0, "message": message, "finish_reason": finish, "stop_reason": None,
                  "logprobs": {"content": logprob_entries(completion)} if want_logprobs else None}
        reply = {"id": "chatcmpl-stub", "object": "chat.completion", "created": created, "model": model,
                 "choices": [choice],
                 "usage": {"prompt_tokens": len(prompt_text), "completion_tokens": len(ids),
                           "total_tokens": len(prompt_text) + len(ids)}}
        if want_ids:
            reply["prompt_token_ids"] = token_ids(prompt_text)
            choice["token_ids"] = ids
        self._json(200, reply)

    def _stream(self, body, model, created, prompt_text, message, completion, finish, want_logprobs, want_ids):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()

        def send(obj):
            self.wfile.write(("data: " + json.dumps(obj) + "\n\n").encode())
            self.wfile.flush()

        base = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": created, "model": model}
        first = dict(base, choices=[{"index": 0, "delta": {"role": "assistant", "content": ""},
                                     "finish_reason": None}])
        if want_ids:
            first["prompt_token_ids"] = token_ids(prompt_text)
        send(first)
        pieces = [(i, completion[i:i + 4]) for i in range(0, len(completion), 4)] if message.get("content") else []
        for start, piece in pieces:
            choice = {"index": 0, "delta": {"content": piece}, "finish_reason": None}
            if want_logprobs:
                choice["logprobs"] = {"content": logprob_entries(piece, start)}
            if want_ids:
                choice["token_ids"] = token_ids(piece)
            send(dict(base, choices=[choice]))
        if message.get("tool_calls"):
            call = message["tool_calls"][0]
            choice = {"index": 0, "delta": {"tool_calls": [dict(call, index=0)]}, "finish_reason": None}
            if want_ids:
                choice["token_ids"] = token_ids(completion)
            send(dict(base, choices=[choice]))
        send(dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": finish}]))
        if (body.get("stream_options") or {}).get("include_usage"):
            send(dict(base, choices=[], usage={"prompt_tokens": len(prompt_text),
                                               "completion_tokens": len(token_ids(completion)),
                                               "total_tokens": len(prompt_text) + len(completion)}))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True


def main():
    port_file = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
