import { add, type Pair } from "./math";

interface Env { NAME?: string }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const p: Pair = [2, 3];
    const big: bigint = 10n ** 3n;
    return new Response(`sum=${add(...p)} big=${big} name=${env.NAME ?? "none"}`);
  },
} satisfies ExportedHandler<Env>;
