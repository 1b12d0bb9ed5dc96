import { activityInfo } from '@temporalio/activity';

export function createPingActivities() {
  return {
    /** Answers with the message and the worker that ran it, proving a real worker took the task. */
    ping(message: string): Promise<string> {
      return Promise.resolve(`pong: ${message} (attempt ${activityInfo().attempt}, pid ${process.pid})`);
    },
  };
}

export type PingActivities = ReturnType<typeof createPingActivities>;
