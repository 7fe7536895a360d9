// The smallest Worker: emubench's HTTP hello rows, and its launch and
// save-to-new-code row (which rewrites the body below).
export default {
  fetch() {
    return new Response("hello");
  },
};
