/**
 * The push's values: the {@link io.viewpush.push.PushPolicy} and the decision it makes, what a
 * transport reports for a batch, what stamping did, and the journal's record of an attempt.
 */
package io.viewpush.push;
