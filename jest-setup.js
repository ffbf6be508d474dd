// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// React 19's react-dom/server, which @grafana/ui 13 loads, needs
// MessageChannel, and jsdom has none (jsdom/jsdom#2448). Node's own keeps the
// test process alive, so this one delivers each message with a timer of the
// test's window instead.
class MessagePortStandIn {
  onmessage = null;
  other = null;
  postMessage(data) {
    setTimeout(() => this.other?.onmessage?.({ data }), 0);
  }
  start() {}
  close() {}
}

class MessageChannelStandIn {
  constructor() {
    this.port1 = new MessagePortStandIn();
    this.port2 = new MessagePortStandIn();
    this.port1.other = this.port2;
    this.port2.other = this.port1;
  }
}

if (typeof global.MessageChannel === 'undefined') {
  Object.assign(global, { MessageChannel: MessageChannelStandIn });
}
