// node:diagnostics_channel: named channels with subscribers (libraries
// publish to them whether or not anyone listens). tracingChannel is not
// implemented.

defineModule("diagnostics_channel", () => {
  const channels = new Map();

  class Channel {
    #subscribers = [];
    constructor(name) {
      this.name = name;
    }
    get hasSubscribers() {
      return this.#subscribers.length > 0;
    }
    subscribe(subscription) {
      validateFunction(subscription, "subscription");
      this.#subscribers = [...this.#subscribers, subscription];
    }
    unsubscribe(subscription) {
      const i = this.#subscribers.indexOf(subscription);
      if (i === -1) return false;
      this.#subscribers = this.#subscribers.filter((_, j) => j !== i);
      return true;
    }
    publish(data) {
      for (const fn of this.#subscribers) {
        try {
          fn(data, this.name);
        } catch (err) {
          queueMicrotask(() => {
            throw err;
          });
        }
      }
    }
    bindStore() {}
    unbindStore() {
      return false;
    }
    runStores(data, fn, thisArg, ...args) {
      this.publish(data);
      return Reflect.apply(fn, thisArg, args);
    }
  }

  function channel(name) {
    if (typeof name !== "string" && typeof name !== "symbol") {
      throw new ERR_INVALID_ARG_TYPE("channel", ["string", "symbol"], name);
    }
    let c = channels.get(name);
    if (c === undefined) {
      c = new Channel(name);
      channels.set(name, c);
    }
    return c;
  }

  return {
    Channel,
    channel,
    hasSubscribers: (name) => channels.get(name)?.hasSubscribers ?? false,
    subscribe(name, subscription) {
      channel(name).subscribe(subscription);
    },
    unsubscribe(name, subscription) {
      return channel(name).unsubscribe(subscription);
    },
  };
});
