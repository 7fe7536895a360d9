export class Room {}

export default {
  fetch() {
    return new Response("x");
  },
};
