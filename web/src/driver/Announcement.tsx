import { createEffect, on } from 'solid-js';

/**
 * What just happened, said once: announced to screen readers and focused, so that keyboard users
 * who pressed a control that has since gone (a cancelled voucher's buttons) land here.
 */
export function Announcement(props: { message: string | undefined }) {
  let box: HTMLParagraphElement | undefined;
  createEffect(on(() => props.message, (message) => message && box?.focus(), { defer: true }));
  return (
    <p class="shop-news" role="status" tabindex="-1" ref={box}>
      {props.message}
    </p>
  );
}
