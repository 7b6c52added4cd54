package io.mocoj.methods;

import io.mocoj.methods.api.Cascade;
import io.mocoj.methods.api.CoLlm;
import io.mocoj.methods.api.MentorCollab;
import io.mocoj.methods.api.Nudging;
import io.mocoj.methods.api.SwitchGeneration;
import io.mocoj.methods.api.GraphRouting;
import io.mocoj.methods.api.TrainedRouter;
import io.mocoj.methods.api.PromptRouting;
import io.mocoj.methods.api.SingleModel;
import io.mocoj.methods.text.AggLm;
import io.mocoj.methods.text.Bbmas;
import io.mocoj.methods.text.HeterogeneousSwarms;
import io.mocoj.methods.text.KnowledgeCard;
import io.mocoj.methods.text.LlmBlender;
import io.mocoj.methods.text.MajorityVote;
import io.mocoj.methods.text.MixtureOfAgents;
import io.mocoj.methods.text.MultiagentFeedback;
import io.mocoj.methods.text.MultiagentRefine;
import io.mocoj.methods.text.SlmMux;
import io.mocoj.methods.text.Structure;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.MethodFactory;
import io.mocoj.methods.toolbox.ConfiguredMethod;

/**
 * Fluent constructors for every method of this module, each returning the method with its
 * default hyperparameters; the returned objects' setters return validated copies, e.g.
 * {@code Methods.cascade().mode(CascadeMode.LOGIT).percentage(0.5)}. Setters validate with the
 * same rules (and messages) as JSON configs. For config names use
 * {@link io.mocoj.method.MethodRegistry#byName}.
 */
public final class Methods {
    private Methods() {}

    /** {@code single_model}: one model answers alone (model 0 unless {@link SingleModel#modelId(int)}). */
    public static SingleModel singleModel() { return defaults(new SingleModel.Factory()); }

    /** {@code text_majority_vote}: every model answers, the most frequent answer wins. */
    public static MajorityVote majorityVote() { return defaults(new MajorityVote.Factory()); }

    /** {@code api_cascade}: weak-to-strong models, deferring when not confident. */
    public static Cascade cascade() { return defaults(new Cascade.Factory()); }

    /** {@code api_prompt_routing}: the best dev model routes each query using model descriptions. */
    public static PromptRouting promptRouting() { return defaults(new PromptRouting.Factory()); }

    /** {@code api_nudging}: a LOGITS base model decodes; an unsure step is written by the nudging model. */
    public static Nudging nudging() { return defaults(new Nudging.Factory()); }

    /** {@code api_switch_generation}: models write patches in turn; a selector model picks each patch's writer. */
    public static SwitchGeneration switchGeneration() { return defaults(new SwitchGeneration.Factory()); }

    /** {@code api_mentor_collab}: generator and mentor (exactly 2 LOGITS models) decode side by side; patches at divergences. */
    public static MentorCollab mentorCollab() { return defaults(new MentorCollab.Factory()); }

    /** {@code api_trained_router}: a classifier on query embeddings, trained on dev outcomes, routes each query. */
    public static TrainedRouter trainedRouter() { return defaults(new TrainedRouter.Factory()); }

    /** {@code api_graph_routing}: GraphRouter's GNN over query, task and model nodes routes each query. */
    public static GraphRouting graphRouting() { return defaults(new GraphRouting.Factory()); }

    /** {@code text_multiagent_finetuning}: agents debate on dev and are LoRA-fine-tuned on the consensus debates; test = debate + vote. */
    public static io.mocoj.methods.text.MultiagentFinetuning multiagentFinetuning() { return defaults(new io.mocoj.methods.text.MultiagentFinetuning.Factory()); }

    /** {@code text_sparta}: peer-judged duels, Elo-like reputations, LoRA DPO on the winners; the best dev checkpoint answers. */
    public static io.mocoj.methods.text.Sparta sparta() { return defaults(new io.mocoj.methods.text.Sparta.Factory()); }

    /** {@code text_sparta_stackelberg}: SPARTA with an EXP3 leader choosing the prompts; DPO or GRPO. */
    public static io.mocoj.methods.text.SpartaStackelberg spartaStackelberg() { return defaults(new io.mocoj.methods.text.SpartaStackelberg.Factory()); }

    /** {@code text_multiagent_refine}: debate rounds, then the best dev model summarises. */
    public static MultiagentRefine multiagentRefine() { return defaults(new MultiagentRefine.Factory()); }

    /** {@code text_multiagent_feedback}: agents review each other's answers and revise; the best dev model summarises. */
    public static MultiagentFeedback multiagentFeedback() { return defaults(new MultiagentFeedback.Factory()); }

    /** {@code text_knowledge_card}: knowledge paragraphs from every model; the best dev model answers with them. */
    public static KnowledgeCard knowledgeCard() { return defaults(new KnowledgeCard.Factory()); }

    /** {@code text_llm_blender}: pairwise ranking with win counts, then fusion of the top-k answers. */
    public static LlmBlender llmBlender() { return defaults(new LlmBlender.Factory()); }

    /** {@code api_collm}: a generator with a trained deferral head hands tokens to a mentor (Co-LLM). */
    public static CoLlm coLlm() { return defaults(new CoLlm.Factory()); }

    /** {@code text_agglm}: an aggregator trained by GRPO (LoRA) on dev solution sets combines the models' solutions. */
    public static AggLm aggLm() { return defaults(new AggLm.Factory()); }

    /** {@code text_structure}: answers exchanged along a fixed graph; set {@link Structure#structure(String)}. */
    public static Structure structure() { return defaults(new Structure.Factory()); }

    /** {@code text_slm_mux}: the most self-consistent model's majority answer. */
    public static SlmMux slmMux() { return defaults(new SlmMux.Factory()); }

    /** {@code text_moa}: Mixture-of-Agents. */
    public static MixtureOfAgents moa() { return defaults(new MixtureOfAgents.Factory()); }

    /** {@code text_heterogeneous_swarms}: a model graph searched by particle swarm optimisation on dev. */
    public static HeterogeneousSwarms heterogeneousSwarms() { return defaults(new HeterogeneousSwarms.Factory()); }

    /** {@code text_bbmas}: a blackboard multi-agent system with a final vote. */
    public static Bbmas bbmas() { return defaults(new Bbmas.Factory()); }

    private static <M extends ConfiguredMethod<M>, F extends MethodFactory> M defaults(F factory) {
        @SuppressWarnings("unchecked")
        M m = (M) factory.create(Hyperparameters.defaults(factory.name(), factory.parameters()));
        return m;
    }

    /** {@code logit_logit_fusion} with its defaults. */
    public static io.mocoj.methods.logit.LogitFusion logitFusion() { return defaults(new io.mocoj.methods.logit.LogitFusion.Factory()); }

    /** {@code logit_logit_contrastive} with its defaults. */
    public static io.mocoj.methods.logit.LogitContrastive logitContrastive() {
        return defaults(new io.mocoj.methods.logit.LogitContrastive.Factory());
    }

    /** {@code weight_greedy_soup} with its defaults. */
    public static io.mocoj.methods.weight.GreedySoup greedySoup() { return defaults(new io.mocoj.methods.weight.GreedySoup.Factory()); }

    /** {@code weight_expo} with its defaults. */
    public static io.mocoj.methods.weight.Expo expo() { return defaults(new io.mocoj.methods.weight.Expo.Factory()); }

    /** {@code weight_dare_ties} with its defaults (set {@code base_model_name}). */
    public static io.mocoj.methods.weight.DareTies dareTies() { return defaults(new io.mocoj.methods.weight.DareTies.Factory()); }

    /** {@code weight_model_swarms} with its defaults. */
    public static io.mocoj.methods.weight.ModelSwarms modelSwarms() { return defaults(new io.mocoj.methods.weight.ModelSwarms.Factory()); }

    /** {@code weight_lorahub} with its defaults (every model a LoRA adapter on one base). */
    public static io.mocoj.methods.weight.LoraHub loraHub() { return defaults(new io.mocoj.methods.weight.LoraHub.Factory()); }
}
