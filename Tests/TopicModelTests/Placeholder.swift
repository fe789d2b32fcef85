// Tests of the topic-model pipeline land here.
