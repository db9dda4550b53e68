// The python3 helper the scheduler sends each check-in through, like upstream Tmux-Orchestrator's
// tmux_utils.py: without a working python3 on the orchestrator's PATH, check-ins fail (seed 000 SPOF-002).

/** Contents of `<dir>/lib/tmux_utils.py`. */
export const TMUX_UTILS_SCRIPT = `#!/usr/bin/env python3
"""tmux_utils.py: send a line to a tmux pane (the reference orchestrator's check-in path)."""
import subprocess
import sys


def send(socket, target, text):
    subprocess.run(
        ["tmux", "-f", "/dev/null", "-S", socket, "send-keys", "-t", target, "-l", text, ";", "send-keys", "-t", target, "Enter"],
        check=True,
        timeout=2,
    )


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] != "send":
        sys.exit("usage: tmux_utils.py send <socket> <target> <text>")
    try:
        send(*sys.argv[2:])
    except subprocess.CalledProcessError as error:
        sys.exit(f"tmux send-keys failed (exit {error.returncode})")
    except (OSError, subprocess.TimeoutExpired) as error:
        sys.exit(f"tmux could not run: {error}")
`;
