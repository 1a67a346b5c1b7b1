"""A LiteLLM callback for LLM Bridge's interop tests: writes what the proxy recorded about each
call (its call id, the caller's metadata as LiteLLM keeps it, the session id, the tags) as one
JSON line to the file named by INTEROP_EVENTS. Referenced from the proxy's config as
litellm_settings.callbacks: interop_recorder.recorder (the file sits next to the config).
"""

import json
import os

from litellm.integrations.custom_logger import CustomLogger


class Recorder(CustomLogger):
    async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
        self._write(kwargs, "success")

    async def async_log_failure_event(self, kwargs, response_obj, start_time, end_time):
        self._write(kwargs, "failure")

    def _write(self, kwargs, status):
        params = kwargs.get("litellm_params") or {}
        metadata = params.get("metadata") or {}
        logged = kwargs.get("standard_logging_object") or {}
        record = {
            "status": status,
            "model": kwargs.get("model"),
            "litellm_call_id": kwargs.get("litellm_call_id"),
            "requester_metadata": metadata.get("requester_metadata"),
            "session_id": logged.get("trace_id"),
            "tags": metadata.get("tags"),
        }
        with open(os.environ["INTEROP_EVENTS"], "a", encoding="utf-8") as f:
            f.write(json.dumps(record, default=str) + "\n")


recorder = Recorder()
