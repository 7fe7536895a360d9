export default {
  fetch(request) {
    if (new URL(request.url).pathname === "/spin") {
      for (;;) {}
    }
    return new Response("still here");
  },
};
