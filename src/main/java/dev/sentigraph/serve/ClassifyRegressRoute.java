package dev.sentigraph.serve;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code POST ...:classify} and {@code ...:regress}: refused with 400, as the models have no tf.Example signature. */
final class ClassifyRegressRoute implements Route {
  static final Pattern PATH = Target.path(":(classify|regress)");

  private final Servables servables;
  private final BodyReader bodies;

  ClassifyRegressRoute(Servables servables, BodyReader bodies) {
    this.servables = servables;
    this.bodies = bodies;
  }

  @Override
  public Reply answer(RestCall call) throws Exception {
    Matcher m = call.match(PATH);
    Target t = Target.of(m);
    String api = m.group(4).toLowerCase();
    call.countAs(servables.metricLabels(t, api));
    bodies.read(call.request()); // read and bounded as every POST body is, before the answer
    servables.model(t);
    throw HttpError.badRequest("the model has no tf.Example signature for :" + api + " (sentigraph models take"
        + " token ids or text): use :predict");
  }
}
